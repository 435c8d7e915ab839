/* main-sm1bg-AcOz.js */
