/* index-JT20lz7OCf.js */
