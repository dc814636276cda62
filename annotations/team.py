"""Team stores on PostgreSQL: each annotator a database role, access enforced by the server.

:func:`init_team` (``synopsis store init-team``) makes two group roles and grants and
row-level security policies on the store's tables:

- ``synopsis_annotator``: reads everything; writes only their own selection rows, their edits
  and review states (the annotator whose name is the connecting role's name); may add
  themselves as an annotator; reads videos and the list of mark values but cannot change them;
  trains (model versions, runs).
- ``synopsis_curator``: edits every selection and manages videos, annotators and mark values.

Remarks (``mark_remarks``, :mod:`annotations.remarks`): an annotator reads every remark, adds
remarks in their own name on anyone's marks (a reviewer remarks on another's selection without
any right to edit its marks), and deletes their own remarks or those on their own selection; no
one but a curator changes a remark. Migration ``0006`` applies these rules itself to a team store
made before it (:func:`remark_policies`).

Each given annotator or curator becomes a login role (when missing) in that group, and each
annotator an annotator of the store. Because the server checks every statement, an annotator's
raw SQL (``UPDATE selections …`` on another's row) changes nothing: the row is invisible to the
update, or the new row is refused. Roles belong to the whole PostgreSQL cluster; passwords are
set by the administrator (``ALTER ROLE … PASSWORD``), never by Synopsis. The store's owner (the
role running this) keeps full access. Run it again after an upgrade that adds tables.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from annotations.db import Database
from annotations.errors import StoreError

ANNOTATOR_GROUP, CURATOR_GROUP = "synopsis_annotator", "synopsis_curator"
OWN_ANNOTATOR = "annotator_id = (SELECT a.id FROM annotators a WHERE a.name = current_user)"
OWN_SELECTION = (
    "selection_id IN (SELECT s.id FROM selections s JOIN annotators a ON a.id = s.annotator_id "
    "WHERE a.name = current_user)"
)
# table -> the condition an annotator's rows meet (None: annotators may not write it at all)
OWNED = {
    "selections": OWN_ANNOTATOR,
    "edits": OWN_SELECTION,
    "selection_reviews": OWN_SELECTION,
    "annotators": "name = current_user",
}
OWN_AUTHOR = "author_id = (SELECT a.id FROM annotators a WHERE a.name = current_user)"
READ_ONLY = ("videos", "video_paths", "mark_values", "alembic_version")
SHARED = ("model_versions", "runs")  # training writes them for every annotator


def _quote(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def _ensure_role(conn: Connection, name: str, *, login: bool) -> bool:
    """Create role ``name`` unless it exists; True when created."""
    exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first()
    if exists:
        return False
    conn.exec_driver_sql(f"CREATE ROLE {_quote(conn, name)} {'LOGIN' if login else 'NOLOGIN'}")
    return True


def has_team_roles(conn: Connection) -> bool:
    """True when the cluster has the team's group roles (``init-team`` was run)."""
    found = conn.execute(
        text("SELECT count(*) FROM pg_roles WHERE rolname IN (:a, :c)"),
        {"a": ANNOTATOR_GROUP, "c": CURATOR_GROUP},
    ).scalar()
    return found == 2


def remark_policies(conn: Connection) -> None:
    """Grants and row-level rules of ``mark_remarks`` (see module docstring)."""
    ann, cur = _quote(conn, ANNOTATOR_GROUP), _quote(conn, CURATOR_GROUP)
    conn.exec_driver_sql(f"GRANT SELECT, INSERT, DELETE ON mark_remarks TO {ann}")
    conn.exec_driver_sql(f"GRANT ALL ON mark_remarks TO {cur}")
    conn.exec_driver_sql("ALTER TABLE mark_remarks ENABLE ROW LEVEL SECURITY")
    rules = {
        "synopsis_read": f"FOR SELECT TO {ann}, {cur} USING (true)",
        "synopsis_remark": f"FOR INSERT TO {ann} WITH CHECK ({OWN_AUTHOR})",
        "synopsis_unremark": f"FOR DELETE TO {ann} USING ({OWN_AUTHOR} OR {OWN_SELECTION})",
        "synopsis_curate": f"FOR ALL TO {cur} USING (true) WITH CHECK (true)",
    }
    for name, rule in rules.items():
        conn.exec_driver_sql(f"DROP POLICY IF EXISTS {name} ON mark_remarks")
        conn.exec_driver_sql(f"CREATE POLICY {name} ON mark_remarks {rule}")
    conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {ann}, {cur}")


def _policies(conn: Connection) -> None:
    ann, cur = _quote(conn, ANNOTATOR_GROUP), _quote(conn, CURATOR_GROUP)
    if inspect(conn).has_table("mark_remarks"):  # a store at 0005 has none yet (0006 adds it)
        remark_policies(conn)
    for table, own in OWNED.items():
        writes = "SELECT, INSERT" if table == "annotators" else "SELECT, INSERT, UPDATE, DELETE"
        conn.exec_driver_sql(f"GRANT {writes} ON {table} TO {ann}")
        conn.exec_driver_sql(f"GRANT ALL ON {table} TO {cur}")
        conn.exec_driver_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        rules = {
            "synopsis_read": f"FOR SELECT TO {ann}, {cur} USING (true)",
            "synopsis_own": f"FOR ALL TO {ann} USING ({own}) WITH CHECK ({own})",
            "synopsis_curate": f"FOR ALL TO {cur} USING (true) WITH CHECK (true)",
        }
        for name, rule in rules.items():
            conn.exec_driver_sql(f"DROP POLICY IF EXISTS {name} ON {table}")
            conn.exec_driver_sql(f"CREATE POLICY {name} ON {table} {rule}")
    for table in READ_ONLY:
        conn.exec_driver_sql(f"GRANT SELECT ON {table} TO {ann}")
        curate = "SELECT" if table == "alembic_version" else "ALL"
        conn.exec_driver_sql(f"GRANT {curate} ON {table} TO {cur}")
    for table in SHARED:
        conn.exec_driver_sql(f"GRANT ALL ON {table} TO {ann}, {cur}")
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {ann}, {cur}")
    conn.exec_driver_sql(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {ann}, {cur}")


def init_team(
    db: Database, annotators: Iterable[str] = (), curators: Iterable[str] = ()
) -> list[str]:
    """Set up roles and row-level security on ``db`` (see module docstring), in one transaction.

    Returns:
        What was done, one line each (roles created, memberships granted).

    Raises:
        StoreError: ``db`` is not PostgreSQL, or the connecting role may not create roles or
            change the tables (it must own them or be a superuser).
    """
    if db.dialect != "postgresql":
        raise StoreError(f"{db.describe()}: team stores need PostgreSQL (roles and row security)")
    annotators, curators = list(dict.fromkeys(annotators)), list(dict.fromkeys(curators))
    done: list[str] = []

    try:
        with db.write_engine.begin() as conn:
            _setup(conn, annotators, curators, done)
    except SQLAlchemyError as exc:
        cause = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreError(f"{db.describe()}: cannot set up the team store: {cause}") from exc
    return done


def _setup(conn: Connection, annotators: list[str], curators: list[str], done: list[str]) -> None:
    """The work of :func:`init_team` on one connection (one transaction)."""
    database = _quote(conn, str(conn.exec_driver_sql("SELECT current_database()").scalar()))
    for group in (ANNOTATOR_GROUP, CURATOR_GROUP):
        if _ensure_role(conn, group, login=False):
            done.append(f"created group role {group}")
    _policies(conn)
    for names, group in ((annotators, ANNOTATOR_GROUP), (curators, CURATOR_GROUP)):
        for name in names:
            if not name.strip():
                raise StoreError("a role needs a name")
            if _ensure_role(conn, name, login=True):
                done.append(f"created login role {name}")
            conn.exec_driver_sql(f"GRANT {_quote(conn, group)} TO {_quote(conn, name)}")
            conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {database} TO {_quote(conn, name)}")
            done.append(f"{name}: {group.removeprefix('synopsis_')}")
    for name in annotators:
        conn.execute(
            text(
                "INSERT INTO annotators (name, created_at) SELECT CAST(:n AS VARCHAR), now() "
                "WHERE NOT EXISTS (SELECT 1 FROM annotators WHERE name = CAST(:n AS VARCHAR))"
            ),
            {"n": name},
        )
