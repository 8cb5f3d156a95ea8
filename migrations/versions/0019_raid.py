"""raid: placeholder, filled by the raid work (a no-op until then)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 14:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
