/* index-8NNFeZfuuN.js */
