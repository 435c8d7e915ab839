/* webpack-r1hs7k7dnz.js */
