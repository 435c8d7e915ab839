/* webpack-bEFonsIX0e.js */
