-- Groups and service principals (issue 16). Users, service principals and groups share one name
-- space, the principals table, told apart by kind. A service principal's name is its application
-- id (a UUID, as grants name it in Databricks); display_name is what people call it. Groups nest:
-- group_members holds direct memberships, a member being a user, a service principal or a group;
-- what a group is granted applies to its members transitively. The built-in group 'admins' makes
-- its members admins; the users who were admins before this migration become its members.
ALTER TABLE principals ADD COLUMN kind TEXT NOT NULL DEFAULT 'USER' CHECK (kind IN ('USER', 'SERVICE_PRINCIPAL', 'GROUP'));

ALTER TABLE principals ADD COLUMN display_name TEXT;

CREATE TABLE group_members (
  group_name  TEXT NOT NULL REFERENCES principals (name) ON DELETE CASCADE,
  member_name TEXT NOT NULL REFERENCES principals (name) ON DELETE CASCADE,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (group_name, member_name)
);

CREATE INDEX group_members_by_member ON group_members (member_name);

INSERT INTO principals (name, admin, created_at, kind)
  SELECT 'admins', 0, CAST(strftime('%s', 'now') AS INTEGER) * 1000000, 'GROUP'
  WHERE NOT EXISTS (SELECT 1 FROM principals WHERE name = 'admins');

INSERT INTO group_members (group_name, member_name, created_at)
  SELECT 'admins', name, created_at FROM principals WHERE admin = 1 AND kind = 'USER';
