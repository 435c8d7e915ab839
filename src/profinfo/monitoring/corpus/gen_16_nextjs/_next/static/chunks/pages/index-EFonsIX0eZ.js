/* index-EFonsIX0eZ.js */
