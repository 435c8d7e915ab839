/* index-Ndd_cdGcz_.js */
