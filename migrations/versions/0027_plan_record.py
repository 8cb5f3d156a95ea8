"""plan record: a program's plan rows as one compact record per part

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-07 03:00:00

A new table, ``plan_record``: every reschedule writes the program's scheduling columns,
stored computed columns and dependencies as one binary record (and the items' keys and
names as another), so that the first edit after a restart reads two values instead of every
row. Nothing existing changes: a program without a record is read from its rows once and
gets one. PostgreSQL keeps the records uncompressed (they are numbers already packed, and
compressing a megabyte on every save costs more than storing it). The downgrade drops the
table; nothing is lost, the rows hold everything it holds.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'plan_record',
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('part', sa.String(length=16), nullable=False),
        sa.Column('revision', sa.String(length=64), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ['program_id'], ['program.id'],
            name=op.f('fk_plan_record_program_id_program'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('program_id', 'part', name=op.f('pk_plan_record')),
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE plan_record ALTER COLUMN data SET STORAGE EXTERNAL')


def downgrade():
    op.drop_table('plan_record')
