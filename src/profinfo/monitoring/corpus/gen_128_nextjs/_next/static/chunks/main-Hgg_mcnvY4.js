/* main-Hgg_mcnvY4.js */
