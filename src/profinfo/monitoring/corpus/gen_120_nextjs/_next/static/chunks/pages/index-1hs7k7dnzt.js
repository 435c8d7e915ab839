/* index-1hs7k7dnzt.js */
