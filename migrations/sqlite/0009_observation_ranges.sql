-- A figure given as a range ("8-10%") keeps its high end; a running total ("898/1.084 thủ tục" so
-- far) is told apart from what happened within its period ("313" in 2024 alone).
ALTER TABLE observations ADD COLUMN upper REAL;
ALTER TABLE observations ADD COLUMN cumulative INTEGER NOT NULL DEFAULT 0;
