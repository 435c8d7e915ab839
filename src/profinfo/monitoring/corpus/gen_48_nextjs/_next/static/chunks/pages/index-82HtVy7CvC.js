/* index-82HtVy7CvC.js */
