/* [slug]-82HtVy7CvC.js */
