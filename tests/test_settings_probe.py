from django.conf import settings


def test_data_dir_is_outside_the_working_tree():
    assert "profinfo-test-" in str(settings.DATA_DIR)
