DROP TABLE plan_legs;
