/* [slug]-DKQkFZL2i9.js */
