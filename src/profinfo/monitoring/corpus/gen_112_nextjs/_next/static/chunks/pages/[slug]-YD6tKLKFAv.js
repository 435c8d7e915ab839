/* [slug]-YD6tKLKFAv.js */
