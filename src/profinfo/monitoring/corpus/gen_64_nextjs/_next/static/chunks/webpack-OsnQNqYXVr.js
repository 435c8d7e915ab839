/* webpack-OsnQNqYXVr.js */
