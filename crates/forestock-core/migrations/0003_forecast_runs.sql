-- Reserved for versioned forecast runs (forestock-demand); empty until it lands.
SELECT 1;
