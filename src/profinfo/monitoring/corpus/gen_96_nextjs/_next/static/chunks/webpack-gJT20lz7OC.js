/* webpack-gJT20lz7OC.js */
