"""raid people: issue owners, deciders and requesters are people of the directory

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 17:00:00

Issues get ``owner_person_id``, decisions ``decided_by_person_id`` and change requests
``requester_person_id``, each a link to the person of the program's directory the text names
(as migration 0021 did for items, risks, actions and metrics). Existing names are linked to
the person of that name (or whose e-mail it is, or whose account's e-mail it is); a name
nobody has becomes a named stakeholder. Actions that 0021 could not link (those of issues,
reviews and gates, which have no risk) are linked here too. The text columns stay as they
are, so nothing is lost; the downgrade writes a linked person's name back where the text is
empty, then drops the links (the people stay in the directory).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None

# table, name column, link column, the column's length
LINKS = (
    ("issue", "owner", "owner_person_id", 120),
    ("decision", "decided_by", "decided_by_person_id", 200),
    ("change_request", "requester", "requester_person_id", 120),
)
NOT_PEOPLE = ("system", "share link")


def _person(conn, program_id, name):
    """The person ``name`` names in the program, made a stakeholder when nobody has it."""
    found = conn.execute(sa.text(
        "SELECT id FROM person WHERE program_id = :p AND name = :n"
    ), {"p": program_id, "n": name}).scalar()
    if found is None and "@" in name:
        found = conn.execute(sa.text(
            "SELECT p.id FROM person p LEFT JOIN user_account u ON u.id = p.user_id "
            "WHERE p.program_id = :p AND (lower(p.email) = :e OR lower(u.email) = :e) "
            "ORDER BY p.id"
        ), {"p": program_id, "e": name.lower()}).first()
        found = found[0] if found else None
    if found is None:
        found = conn.execute(sa.text(
            "SELECT id FROM person WHERE program_id = :p AND kind = 'role' "
            "AND lower(role) = :r ORDER BY id"
        ), {"p": program_id, "r": name.lower()}).first()
        found = found[0] if found else None
    if found is None:
        conn.execute(sa.text(
            "INSERT INTO person (program_id, name, kind, role, team, capacity_hours, version) "
            "VALUES (:p, :n, 'stakeholder', '', '', 40.0, 1)"
        ), {"p": program_id, "n": name})
        found = conn.execute(sa.text(
            "SELECT id FROM person WHERE program_id = :p AND name = :n"
        ), {"p": program_id, "n": name}).scalar()
    return found


def _link(conn, table, name_column, link_column):
    rows = conn.execute(sa.text(
        f"SELECT id, program_id, {name_column} FROM {table} "
        f"WHERE {link_column} IS NULL AND {name_column} IS NOT NULL "
        f"AND trim({name_column}) <> ''"
    )).all()
    for row_id, program_id, text in rows:
        name = text.strip()[:120]
        if name in NOT_PEOPLE:
            continue
        conn.execute(sa.text(
            f"UPDATE {table} SET {link_column} = :person WHERE id = :id"
        ), {"person": _person(conn, program_id, name), "id": row_id})


def upgrade():
    for table, _name, link, _length in LINKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(link, sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                f'fk_{table}_{link}_person', 'person', [link], ['id'], ondelete='SET NULL',
            )
    conn = op.get_bind()
    for table, name, link, _length in LINKS:
        _link(conn, table, name, link)
    _link(conn, "risk_action", "owner", "owner_person_id")


def downgrade():
    conn = op.get_bind()
    for table, name, link, length in LINKS:
        conn.execute(sa.text(
            f"UPDATE {table} SET {name} = (SELECT substr(p.name, 1, {length}) FROM person p "
            f"WHERE p.id = {table}.{link} AND p.kind <> 'role') "
            f"WHERE {link} IS NOT NULL AND ({name} IS NULL OR trim({name}) = '') "
            f"AND EXISTS (SELECT 1 FROM person p WHERE p.id = {table}.{link} "
            "AND p.kind <> 'role')"
        ))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_{link}_person', type_='foreignkey')
            batch_op.drop_column(link)
