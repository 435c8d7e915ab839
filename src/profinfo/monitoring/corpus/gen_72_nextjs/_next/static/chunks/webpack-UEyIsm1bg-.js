/* webpack-UEyIsm1bg-.js */
