/* webpack-qYD6tKLKFA.js */
