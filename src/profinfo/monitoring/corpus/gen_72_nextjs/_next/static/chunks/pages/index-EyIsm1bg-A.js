/* index-EyIsm1bg-A.js */
