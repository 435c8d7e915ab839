/* framework-D6tKLKFAv_.js */
