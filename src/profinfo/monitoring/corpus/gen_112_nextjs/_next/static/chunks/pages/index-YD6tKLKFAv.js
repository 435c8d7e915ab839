/* index-YD6tKLKFAv.js */
