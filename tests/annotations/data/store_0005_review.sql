BEGIN TRANSACTION;
CREATE TABLE alembic_version (
	version_num VARCHAR(32) NOT NULL, 
	CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
);
INSERT INTO "alembic_version" VALUES('0005');
CREATE TABLE annotators (
	id INTEGER NOT NULL, 
	name VARCHAR(200) NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_annotators PRIMARY KEY (id), 
	CONSTRAINT uq_annotators_name UNIQUE (name)
);
INSERT INTO "annotators" VALUES(1,'ana','2026-12-03 04:36:03.645644');
INSERT INTO "annotators" VALUES(2,'bo','2026-12-03 04:36:03.647720');
CREATE TABLE edits (
	id INTEGER NOT NULL, 
	selection_id INTEGER NOT NULL, 
	parent_id INTEGER, 
	action VARCHAR(200) NOT NULL, 
	applied BOOLEAN NOT NULL, 
	keyframes BLOB, 
	segments BLOB, 
	scores BLOB, 
	budget FLOAT, 
	created_at DATETIME NOT NULL, 
	changed_at DATETIME NOT NULL, author VARCHAR(500), notes JSON, 
	CONSTRAINT pk_edits PRIMARY KEY (id), 
	CONSTRAINT fk_edits_selection_id_selections FOREIGN KEY(selection_id) REFERENCES selections (id), 
	CONSTRAINT fk_edits_parent_id_edits FOREIGN KEY(parent_id) REFERENCES edits (id)
);
INSERT INTO "edits" VALUES(1,1,NULL,'draft from vsumm',1,NULL,NULL,NULL,NULL,'2026-12-03 04:36:03.672089','2026-12-03 04:36:03.672096','ana','null');
INSERT INTO "edits" VALUES(2,1,1,'reject keyframe 9',1,X'0300000009000000',X'0000000005000000140000001E000000',NULL,NULL,'2026-12-03 04:36:03.681287','2026-12-03 04:36:03.681291','ana','null');
INSERT INTO "edits" VALUES(3,1,2,'note on segment [20, 30): value ''must keep'', comment ''goal''',1,X'03000000',X'0000000005000000140000001E000000',NULL,NULL,'2026-12-03 04:36:03.684207','2026-12-03 04:36:03.684210','ana','null');
INSERT INTO "edits" VALUES(4,1,3,'add keyframe 40',0,X'0300000028000000',X'0000000005000000140000001E000000',NULL,NULL,'2026-12-03 04:36:03.686779','2026-12-03 04:36:03.689310','ana','{"segments": [[20, 30, "must keep", "goal"]]}');
INSERT INTO "edits" VALUES(5,2,NULL,'mark',1,NULL,NULL,NULL,NULL,'2026-12-03 04:36:03.693124','2026-12-03 04:36:03.693127','bo','null');
CREATE TABLE mark_values (
	id INTEGER NOT NULL, 
	value VARCHAR(200) NOT NULL, 
	position INTEGER NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_mark_values PRIMARY KEY (id), 
	CONSTRAINT uq_mark_values_value UNIQUE (value)
);
INSERT INTO "mark_values" VALUES(1,'must keep',0,'2026-12-03 04:36:03.650280');
CREATE TABLE model_versions (
	id INTEGER NOT NULL, 
	method VARCHAR(100) NOT NULL, 
	annotator_id INTEGER, 
	path TEXT NOT NULL, 
	backbone VARCHAR(100), 
	config JSON NOT NULL, 
	metrics JSON NOT NULL, 
	is_default BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_model_versions PRIMARY KEY (id), 
	CONSTRAINT fk_model_versions_annotator_id_annotators FOREIGN KEY(annotator_id) REFERENCES annotators (id)
);
CREATE TABLE runs (
	id INTEGER NOT NULL, 
	method VARCHAR(100) NOT NULL, 
	annotator_id INTEGER, 
	config JSON NOT NULL, 
	status VARCHAR(20) NOT NULL, 
	progress FLOAT NOT NULL, 
	message TEXT, 
	metrics JSON NOT NULL, 
	failure TEXT, 
	model_version_id INTEGER, 
	created_at DATETIME NOT NULL, 
	started_at DATETIME, 
	finished_at DATETIME, 
	CONSTRAINT pk_runs PRIMARY KEY (id), 
	CONSTRAINT fk_runs_annotator_id_annotators FOREIGN KEY(annotator_id) REFERENCES annotators (id), 
	CONSTRAINT fk_runs_model_version_id_model_versions FOREIGN KEY(model_version_id) REFERENCES model_versions (id)
);
CREATE TABLE selection_reviews (
	selection_id INTEGER NOT NULL, 
	state VARCHAR(20) NOT NULL, 
	origin JSON, 
	origin_keyframes BLOB, 
	origin_segments BLOB, 
	origin_scores BLOB, 
	updated_at DATETIME NOT NULL, 
	CONSTRAINT pk_selection_reviews PRIMARY KEY (selection_id), 
	CONSTRAINT fk_selection_reviews_selection_id_selections FOREIGN KEY(selection_id) REFERENCES selections (id) ON DELETE CASCADE
);
INSERT INTO "selection_reviews" VALUES(1,'draft','{"method": "vsumm", "model": null, "version": null}',X'0300000009000000',X'0000000005000000140000001E000000',NULL,'2026-12-03 04:36:03.674884');
INSERT INTO "selection_reviews" VALUES(2,'reviewed',NULL,NULL,NULL,NULL,'2026-12-03 04:36:03.695784');
CREATE TABLE selections (
	id INTEGER NOT NULL, 
	annotator_id INTEGER NOT NULL, 
	video_id INTEGER NOT NULL, 
	keyframes BLOB, 
	segments BLOB, 
	scores BLOB, 
	budget FLOAT, 
	head_edit_id INTEGER, 
	created_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, notes JSON, 
	CONSTRAINT pk_selections PRIMARY KEY (id), 
	CONSTRAINT fk_selections_head_edit_id_edits FOREIGN KEY(head_edit_id) REFERENCES edits (id), 
	CONSTRAINT fk_selections_annotator_id_annotators FOREIGN KEY(annotator_id) REFERENCES annotators (id), 
	CONSTRAINT fk_selections_video_id_videos FOREIGN KEY(video_id) REFERENCES videos (id), 
	CONSTRAINT uq_selections_annotator_id UNIQUE (annotator_id, video_id)
);
INSERT INTO "selections" VALUES(1,1,1,X'03000000',X'0000000005000000140000001E000000',NULL,NULL,3,'2026-12-03 04:36:03.657043','2026-12-03 04:36:03.689310','{"segments": [[20, 30, "must keep", "goal"]]}');
INSERT INTO "selections" VALUES(2,2,2,X'04000000',X'0200000008000000',NULL,NULL,5,'2026-12-03 04:36:03.692727','2026-12-03 04:36:03.693301','null');
CREATE TABLE video_paths (
	id INTEGER NOT NULL, 
	video_id INTEGER NOT NULL, 
	path TEXT NOT NULL, 
	seen_at DATETIME NOT NULL, 
	CONSTRAINT pk_video_paths PRIMARY KEY (id), 
	CONSTRAINT fk_video_paths_video_id_videos FOREIGN KEY(video_id) REFERENCES videos (id) ON DELETE CASCADE, 
	CONSTRAINT uq_video_paths_video_id UNIQUE (video_id, path)
);
CREATE TABLE videos (
	id INTEGER NOT NULL, 
	sha256 VARCHAR(64), 
	name VARCHAR(500) NOT NULL, 
	n_frames INTEGER NOT NULL, 
	fps FLOAT, 
	duration FLOAT, 
	width INTEGER, 
	height INTEGER, 
	category VARCHAR(200), 
	tags JSON NOT NULL, 
	created_at DATETIME NOT NULL, 
	CONSTRAINT pk_videos PRIMARY KEY (id), 
	CONSTRAINT uq_videos_sha256 UNIQUE (sha256)
);
INSERT INTO "videos" VALUES(1,NULL,'a.mp4',50,25.0,NULL,NULL,NULL,NULL,'[]','2026-12-03 04:36:03.636508');
INSERT INTO "videos" VALUES(2,NULL,'b.mp4',30,NULL,NULL,NULL,NULL,NULL,'[]','2026-12-03 04:36:03.640369');
CREATE INDEX ix_videos_name ON videos (name);
CREATE UNIQUE INDEX uq_videos_name_label_only ON videos (name) WHERE sha256 IS NULL;
CREATE INDEX ix_video_paths_video_id ON video_paths (video_id);
CREATE INDEX ix_selections_annotator_id ON selections (annotator_id);
CREATE INDEX ix_selections_video_id ON selections (video_id);
CREATE INDEX ix_edits_selection_id ON edits (selection_id);
CREATE INDEX ix_edits_parent_id ON edits (parent_id);
CREATE INDEX ix_model_versions_method ON model_versions (method);
CREATE INDEX ix_model_versions_annotator_id ON model_versions (annotator_id);
CREATE UNIQUE INDEX uq_model_versions_default_annotator ON model_versions (annotator_id) WHERE is_default AND annotator_id IS NOT NULL;
CREATE UNIQUE INDEX uq_model_versions_default_generic ON model_versions (is_default) WHERE is_default AND annotator_id IS NULL;
CREATE INDEX ix_runs_annotator_id ON runs (annotator_id);
CREATE INDEX ix_runs_status ON runs (status);
COMMIT;
