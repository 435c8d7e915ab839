/* main-Ie2GWM1wYo.js */
