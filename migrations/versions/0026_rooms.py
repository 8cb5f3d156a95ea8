"""rooms: placeholder, filled by the rooms work (a no-op until then)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 14:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
