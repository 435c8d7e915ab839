/* webpack-LDKQkFZL2i.js */
