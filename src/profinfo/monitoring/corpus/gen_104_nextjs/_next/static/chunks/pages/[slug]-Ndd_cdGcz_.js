/* [slug]-Ndd_cdGcz_.js */
