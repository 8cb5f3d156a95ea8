"""audit revision index, longer actor

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27 23:39:51.850986

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.alter_column('actor',
               existing_type=sa.VARCHAR(length=200),
               type_=sa.String(length=254),
               existing_nullable=False)
        batch_op.create_index('ix_audit_event_program_id_id', ['program_id', 'id'], unique=False)



def downgrade():
    # the older column holds 200 characters: shorten the few longer actors instead of failing
    op.execute("UPDATE audit_event SET actor = substr(actor, 1, 200) WHERE length(actor) > 200")
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_program_id_id')
        batch_op.alter_column('actor',
               existing_type=sa.String(length=254),
               type_=sa.VARCHAR(length=200),
               existing_nullable=False)

