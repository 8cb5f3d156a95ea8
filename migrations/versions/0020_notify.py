"""notify: placeholder, filled by the notify work (a no-op until then)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 14:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
