/* _app-LKFAv_EOTk.js */
