/* framework-2HtVy7CvCt.js */
