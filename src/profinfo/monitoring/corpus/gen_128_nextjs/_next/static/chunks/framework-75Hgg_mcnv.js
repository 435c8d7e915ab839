/* framework-75Hgg_mcnv.js */
