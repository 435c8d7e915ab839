/* main-tKLKFAv_EO.js */
