/* webpack-38NNFeZfuu.js */
