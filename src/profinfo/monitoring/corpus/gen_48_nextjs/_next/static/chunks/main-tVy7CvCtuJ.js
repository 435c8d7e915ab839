/* main-tVy7CvCtuJ.js */
