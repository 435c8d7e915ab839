/* index-a75Hgg_mcn.js */
