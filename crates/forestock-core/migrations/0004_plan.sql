-- Reserved for planning (recommendations, overrides, scenarios, purchase orders, alerts).
SELECT 1;
