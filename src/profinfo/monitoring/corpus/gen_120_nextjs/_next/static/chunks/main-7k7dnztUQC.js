/* main-7k7dnztUQC.js */
