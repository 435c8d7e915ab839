/* main-FeZfuuNdMU.js */
