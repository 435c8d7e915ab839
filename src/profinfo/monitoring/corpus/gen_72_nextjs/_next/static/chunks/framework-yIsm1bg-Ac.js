/* framework-yIsm1bg-Ac.js */
