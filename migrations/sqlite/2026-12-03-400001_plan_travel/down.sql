DROP TABLE plan_routes;
DROP TABLE plan_travel;
