INSERT INTO a_item (id, name) VALUES (1, 'seed');
