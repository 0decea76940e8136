DROP TABLE road_networks;
