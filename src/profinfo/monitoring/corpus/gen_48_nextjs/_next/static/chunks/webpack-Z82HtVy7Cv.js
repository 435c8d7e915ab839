/* webpack-Z82HtVy7Cv.js */
