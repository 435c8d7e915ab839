/* index-DKQkFZL2i9.js */
