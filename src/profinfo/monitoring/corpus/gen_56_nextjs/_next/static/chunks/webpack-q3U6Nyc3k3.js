/* webpack-q3U6Nyc3k3.js */
