"""sessions the server can end: user_account.session_generation

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 10:45:00

Every signed-in session carries its account's generation; raising it (sign-out, password
change, deactivation, "sign out everywhere") ends every session issued before.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
