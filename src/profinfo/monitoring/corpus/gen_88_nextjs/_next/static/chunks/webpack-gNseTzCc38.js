/* webpack-gNseTzCc38.js */
