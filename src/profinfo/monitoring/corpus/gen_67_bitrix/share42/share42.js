/* share42.js */
