DROP TABLE checks;
DROP TABLE plans;
